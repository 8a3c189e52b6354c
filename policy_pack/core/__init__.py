"""The pack's internal toolkit: property access, IAM documents, exemptions, factories."""
