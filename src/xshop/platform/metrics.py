"""Prometheus metrics. Each service has its own registry so embedded mode keeps services apart."""

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


@dataclass
class ServiceMetrics:
    service: str
    registry: CollectorRegistry = field(default_factory=lambda: CollectorRegistry(auto_describe=True))

    def __post_init__(self) -> None:
        labels = {"service": self.service}
        self.http_requests = Counter(
            "xshop_http_requests_total",
            "HTTP requests answered.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_latency = Histogram(
            "xshop_http_request_duration_seconds",
            "HTTP request latency.",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.events_published = Counter(
            "xshop_events_published_total",
            "Events relayed from the outbox to the bus.",
            registry=self.registry,
        )
        self.outbox_pending = Gauge(
            "xshop_outbox_pending_events",
            "Outbox rows not yet published (all replicas), as the relay last counted them.",
            registry=self.registry,
        )
        self.outbox_oldest_age = Gauge(
            "xshop_outbox_oldest_pending_age_seconds",
            "Age of the oldest unpublished outbox row (0 when none): the relay's lag.",
            registry=self.registry,
        )
        self.events_handled = Counter(
            "xshop_events_handled_total",
            "Events consumed, by outcome.",
            ["type", "outcome"],
            registry=self.registry,
        )
        self.circuit_state = Gauge(
            "xshop_circuit_breaker_state",
            "Circuit to each upstream service: 0 closed, 1 half-open, 2 open.",
            ["upstream"],
            registry=self.registry,
        )
        self.info = Gauge("xshop_service_info", "Service identity.", list(labels), registry=self.registry)
        self.info.labels(**labels).set(1)
