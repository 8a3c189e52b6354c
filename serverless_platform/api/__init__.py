"""The REST API: its definition, the gateway, the firewall and provisioned-concurrency
scaling."""
