"""How a new version of a function goes live: CodeDeploy shifts its `live` alias."""
