"""Required tags on every taggable resource, with controlled values."""

from . import (
    resource_required_tags,
    resource_tag_data_classification_allowed,
    resource_tag_environment_allowed,
)

MODULES = (
    resource_required_tags,
    resource_tag_environment_allowed,
    resource_tag_data_classification_allowed,
)
POLICIES = [module.POLICY for module in MODULES]
