"""The data plane: keys, the ingest bucket and queue, the results table, the processor."""
