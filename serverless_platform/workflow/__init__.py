"""The reprocess workflow: its state machine definition and the component that deploys it."""
