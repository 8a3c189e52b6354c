"""`Observability`: alarms that each name their runbook, and a dashboard of the same
metrics, built from the resources' real names.

Every alarm publishes to the alerts topic (and again when it recovers). Its
description says what is wrong and links `runbooks/<alarm>.md`; the same path is in
its `runbook` tag, which the runbook tools and the tests read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from serverless_platform.config import AlarmSettings


@dataclass(frozen=True)
class Metric:
    namespace: str
    name: str
    dimensions: Mapping[str, pulumi.Input[str]]
    stat: str


@dataclass(frozen=True)
class AlarmSpec:
    """One alarm: its runbook slug, what it means, and the metric(s) it watches."""

    slug: str
    summary: str
    metrics: Sequence[Metric]
    threshold: float
    # A metric-math expression over m1..mN; None alarms on m1 itself.
    expression: str | None = None
    comparison: str = "GreaterThanOrEqualToThreshold"
    # Quiet metrics (no errors, no messages) mean healthy, not unknown.
    missing_data: str = "notBreaching"
    unit_label: str = ""
    extra_tags: Mapping[str, str] = field(default_factory=dict)

    @property
    def runbook(self) -> str:
        return f"runbooks/{self.slug}.md"


def _queries(spec: AlarmSpec, period: int) -> list[aws.cloudwatch.MetricAlarmMetricQueryArgs]:
    queries = [
        aws.cloudwatch.MetricAlarmMetricQueryArgs(
            id=f"m{index}",
            return_data=spec.expression is None,
            metric=aws.cloudwatch.MetricAlarmMetricQueryMetricArgs(
                namespace=metric.namespace,
                metric_name=metric.name,
                dimensions=dict(metric.dimensions),
                period=period,
                stat=metric.stat,
            ),
        )
        for index, metric in enumerate(spec.metrics, start=1)
    ]
    if spec.expression is not None:
        queries.append(
            aws.cloudwatch.MetricAlarmMetricQueryArgs(
                id="e1", expression=spec.expression, label=spec.summary, return_data=True
            )
        )
    return queries


class Observability(pulumi.ComponentResource):
    """The platform's alarms and its dashboard."""

    alarms: dict[str, aws.cloudwatch.MetricAlarm]

    def __init__(
        self,
        name: str,
        *,
        specs: Sequence[AlarmSpec],
        settings: AlarmSettings,
        name_prefix: str,
        region: str,
        topic_arn: pulumi.Input[str],
        tags: dict[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("serverless-platform:observability:Observability", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.alarms = {}
        for spec in specs:
            self.alarms[spec.slug] = aws.cloudwatch.MetricAlarm(
                f"{name}-{spec.slug}",
                name=f"{name_prefix}-{spec.slug}",
                alarm_description=(
                    f"{spec.summary} Runbook: {settings.runbook_base_url}{spec.runbook}"
                ),
                metric_queries=_queries(spec, settings.period_seconds),
                comparison_operator=spec.comparison,
                threshold=spec.threshold,
                evaluation_periods=settings.evaluation_periods,
                datapoints_to_alarm=settings.evaluation_periods,
                treat_missing_data=spec.missing_data,
                alarm_actions=[topic_arn],
                ok_actions=[topic_arn],
                tags={**tags, "runbook": spec.runbook, **spec.extra_tags},
                opts=child,
            )
        self.dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            dashboard_name=f"{name_prefix}-{region}",
            dashboard_body=pulumi.Output.json_dumps(
                _dashboard(specs, region, settings.period_seconds)
            ),
            opts=child,
        )
        self.register_outputs(
            {
                "alarm_names": [a.name for a in self.alarms.values()],
                "dashboard": self.dashboard.dashboard_name,
            }
        )


def _dashboard(specs: Sequence[AlarmSpec], region: str, period: int) -> dict[str, object]:
    """One graph per alarm, with the same metrics and the threshold drawn in."""
    widgets: list[dict[str, object]] = []
    for index, spec in enumerate(specs):
        metrics: list[list[object]] = []
        for number, metric in enumerate(spec.metrics, start=1):
            row: list[object] = [metric.namespace, metric.name]
            for dimension, value in metric.dimensions.items():
                row += [dimension, value]
            # With an expression, graph what the alarm compares: the expression.
            row.append(
                {"stat": metric.stat, "id": f"m{number}", "visible": spec.expression is None}
            )
            metrics.append(row)
        if spec.expression is not None:
            metrics.append([{"expression": spec.expression, "label": spec.summary, "id": "e1"}])
        widgets.append(
            {
                "type": "metric",
                "x": (index % 2) * 12,
                "y": (index // 2) * 6,
                "width": 12,
                "height": 6,
                "properties": {
                    "title": f"{spec.slug}: {spec.summary}",
                    "region": region,
                    "period": period,
                    "metrics": metrics,
                    "annotations": {
                        "horizontal": [{"label": "alarm threshold", "value": spec.threshold}]
                    },
                },
            }
        )
    return {"widgets": widgets}
