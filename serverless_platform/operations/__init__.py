"""What on-call sees: alerts, the alarm catalog, alarms and the dashboard."""
