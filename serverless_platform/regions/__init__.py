"""Where the platform runs: a provider per region and account, replication, failover,
and the multi-region deployment."""
