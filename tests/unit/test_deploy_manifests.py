"""deploy/compose.yaml and deploy/k8s/ cannot run here (no container engine), so they are checked
against the code: every registered service, its port, its probes and every XSHOP_* variable used."""

import copy
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml

from xshop.platform.settings import Settings
from xshop.runtime.registry import MIGRATIONS, services

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"

ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - containers must listen beyond loopback
INFRASTRUCTURE = {"postgres", "rabbitmq", "mailpit", "migrate"}
PROBE_URL = re.compile(r"http://(?:127\.0\.0\.1|localhost):(\d+)(/\S*?)['\"\s)]")


def registry() -> list[str]:
    return list(services())


def setting_field(variable: str) -> str:
    assert variable.startswith("XSHOP_"), f"{variable} is not an XSHOP_* setting"
    return variable.removeprefix("XSHOP_").lower()


def assert_real_settings(variables: Iterable[str], where: str) -> None:
    unknown = sorted(v for v in variables if setting_field(v) not in Settings.model_fields)
    assert not unknown, f"{where} sets variables that are not settings: {unknown}"


def assert_service_urls(env: dict[str, Any], where: str) -> None:
    """Every XSHOP_<NAME>_URL points at that service's host and its real port."""
    for variable, value in env.items():
        match = re.fullmatch(r"XSHOP_([A-Z]+)_URL", variable)
        if not match or variable in {
            "XSHOP_DATABASE_URL",
            "XSHOP_BROKER_URL",
            "XSHOP_SMTP_URL",
            "XSHOP_PUBLIC_URL",
        }:
            continue
        name = match.group(1).lower()
        assert value == f"http://{name}:{Settings().port_of(name)}", f"{where}: {variable}={value}"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


@pytest.fixture(scope="module")
def k8s() -> list[dict[str, Any]]:
    documents = []
    for path in sorted(K8S.glob("*.yaml")):
        documents += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return documents


def of_kind(documents: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    found = [doc for doc in documents if doc["kind"] == kind]
    by_name = {doc["metadata"]["name"]: doc for doc in found}
    assert len(by_name) == len(found), f"two {kind}s share a name"
    return by_name


# --- compose ---------------------------------------------------------------------------------------


def test_compose_runs_every_registered_service_and_nothing_unknown(compose) -> None:
    described = set(compose["services"]) - INFRASTRUCTURE
    assert set(registry()) <= described, f"missing from compose: {set(registry()) - described}"
    assert described <= set(registry()), f"unknown in compose: {described - set(registry())}"


def check_compose_service(compose: dict[str, Any], name: str) -> None:
    service = compose["services"][name]
    assert service["command"] == ["serve", name]
    assert service["image"] == "xshop:latest"
    probe = " ".join(service["healthcheck"]["test"])
    assert PROBE_URL.findall(probe) == [(str(Settings().port_of(name)), "/health/ready")], (name, probe)
    assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert service["depends_on"]["rabbitmq"]["condition"] == "service_healthy"


def test_compose_service_command_port_healthcheck_and_dependencies(compose) -> None:
    for name in registry():
        check_compose_service(compose, name)


def test_compose_environment_is_real_settings_and_points_at_the_infrastructure(compose) -> None:
    for name in [*registry(), "migrate"]:
        env = compose["services"][name]["environment"]
        assert_real_settings(env, f"compose service {name}")
        assert_service_urls(env, f"compose service {name}")
        assert env["XSHOP_ENV"] == "production"
        assert env["XSHOP_HOST"] == ALL_INTERFACES
        assert env["XSHOP_SMTP_URL"] == "smtp://mailpit:1025"
        assert "@postgres:5432/" in env["XSHOP_DATABASE_URL"]
        assert env["XSHOP_DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert env["XSHOP_BROKER_URL"].startswith("amqp://") and "@rabbitmq:5672" in env["XSHOP_BROKER_URL"]
        assert env["XSHOP_JWT_SECRET"].startswith("${XSHOP_JWT_SECRET:?")
    # Every service a caller may reach over HTTP has its URL set, in every container.
    callable_services = [n for n in registry() if f"{n}_url" in Settings.model_fields]
    assert callable_services, "no XSHOP_<NAME>_URL settings found"
    for name in registry():
        env = compose["services"][name]["environment"]
        assert {f"XSHOP_{n.upper()}_URL" for n in callable_services} <= set(env), name


def test_compose_infrastructure(compose) -> None:
    services_ = compose["services"]
    assert services_["postgres"]["image"].startswith("postgres:16")
    assert "pg_isready" in " ".join(services_["postgres"]["healthcheck"]["test"])
    assert (
        services_["rabbitmq"]["image"].startswith("rabbitmq:3")
        and "management" in services_["rabbitmq"]["image"]
    )
    assert services_["rabbitmq"]["healthcheck"]["test"]
    assert services_["mailpit"]["image"].startswith("axllent/mailpit")
    assert {"1025:1025", "8025:8025"} <= set(services_["mailpit"]["ports"])
    migrate = services_["migrate"]
    assert migrate["command"] == ["migrate"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


# --- kubernetes ------------------------------------------------------------------------------------


def test_k8s_describes_every_registered_service_and_nothing_unknown(k8s) -> None:
    for kind in ("Deployment", "Service"):
        described = set(of_kind(k8s, kind))
        assert set(registry()) <= described, f"{kind} missing for {set(registry()) - described}"
        assert described <= set(registry()), f"unknown {kind}: {described - set(registry())}"


def check_deployment(deployments: dict[str, dict[str, Any]], name: str) -> None:
    port = Settings().port_of(name)
    deployment = deployments[name]
    assert deployment["metadata"]["namespace"] == "xshop"
    pod = deployment["spec"]["template"]
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector.items() <= pod["metadata"]["labels"].items(), name
    (container,) = pod["spec"]["containers"]
    assert container["image"] == "xshop:latest"
    assert container["args"] == ["serve", name]
    assert [p["containerPort"] for p in container["ports"]] == [port], name
    assert container["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": port}, name
    assert container["livenessProbe"]["httpGet"] == {"path": "/health", "port": port}, name
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert {"cpu", "memory"} <= set(container["resources"]["limits"])
    sources = {next(iter(s)): next(iter(s.values()))["name"] for s in container["envFrom"]}
    assert sources == {"configMapRef": "xshop-config", "secretRef": "xshop-secrets"}, name
    assert_real_settings({e["name"] for e in container.get("env", [])}, f"Deployment {name}")


def test_k8s_deployment_args_port_probes_and_config(k8s) -> None:
    deployments = of_kind(k8s, "Deployment")
    for name in registry():
        check_deployment(deployments, name)


def test_k8s_service_exposes_the_port_and_selects_the_pods(k8s) -> None:
    deployments, k8s_services = of_kind(k8s, "Deployment"), of_kind(k8s, "Service")
    for name in registry():
        port = Settings().port_of(name)
        spec = k8s_services[name]["spec"]
        assert [(p["port"], p["targetPort"]) for p in spec["ports"]] == [(port, port)], name
        pod_labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert spec["selector"].items() <= pod_labels.items(), name


def test_k8s_autoscalers_target_existing_deployments(k8s) -> None:
    deployments = of_kind(k8s, "Deployment")
    autoscalers = of_kind(k8s, "HorizontalPodAutoscaler")
    # The stateless HTTP services must scale; consumers have autoscalers too (see docs/deploy.md).
    stateless_http = {"gateway", "auth", "users", "catalog", "orders"} & set(registry())
    assert stateless_http <= set(autoscalers)
    for name, hpa in autoscalers.items():
        target = hpa["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", name)
        assert name in deployments
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]


def test_k8s_config_and_secret_keys_are_real_settings(k8s) -> None:
    (config,) = of_kind(k8s, "ConfigMap").values()
    (secret,) = of_kind(k8s, "Secret").values()
    assert config["metadata"]["name"] == "xshop-config" and secret["metadata"]["name"] == "xshop-secrets"
    assert all(isinstance(value, str) for value in config["data"].values()), (
        "ConfigMap values must be strings"
    )
    assert_real_settings(config["data"], "ConfigMap")
    assert_real_settings(secret["stringData"], "Secret")
    assert_service_urls(config["data"], "ConfigMap")
    secret_keys = {"XSHOP_JWT_SECRET", "XSHOP_DATABASE_URL", "XSHOP_BROKER_URL", "XSHOP_SMTP_URL"}
    assert secret_keys | {"XSHOP_EVENTS_API_KEY"} == set(secret["stringData"])
    assert not secret_keys & set(config["data"]), "secrets belong in the Secret, not the ConfigMap"
    assert config["data"]["XSHOP_ENV"] == "production" and config["data"]["XSHOP_HOST"] == ALL_INTERFACES
    callable_services = {f"XSHOP_{n.upper()}_URL" for n in registry() if f"{n}_url" in Settings.model_fields}
    assert callable_services <= set(config["data"])


def test_k8s_migrate_job(k8s) -> None:
    (job,) = of_kind(k8s, "Job").values()
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["args"] == ["migrate"]
    assert container["image"] == "xshop:latest"
    assert MIGRATIONS, "no service has migrations"


def test_every_k8s_object_is_in_the_xshop_namespace(k8s) -> None:
    for doc in k8s:
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "xshop", doc["metadata"]["name"]


# --- image -----------------------------------------------------------------------------------------


def test_dockerfile_runs_xshop_as_a_non_root_user() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.M)
    assert "pip install ." in dockerfile
    assert re.search(r"^USER (?!root\b|0\b)\S+", dockerfile, re.M)
    assert 'ENTRYPOINT ["xshop"]' in dockerfile
    assert 'CMD ["serve", "gateway"]' in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "data", ".git"} <= set(ignored)
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["xshop"] == "xshop.cli:app"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"], 9999),
        (["spec", "template", "spec", "containers", 0, "readinessProbe", "httpGet", "port"], 9999),
        (["spec", "template", "spec", "containers", 0, "livenessProbe", "httpGet", "path"], "/health/ready"),
        (["spec", "template", "spec", "containers", 0, "args"], ["serve", "users"]),
    ],
)
def test_the_deployment_check_fails_on_a_wrong_manifest(k8s, path, value) -> None:
    deployments = copy.deepcopy(of_kind(k8s, "Deployment"))
    node: Any = deployments["gateway"]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(AssertionError):
        check_deployment(deployments, "gateway")


def test_the_compose_check_fails_on_a_wrong_healthcheck_port(compose) -> None:
    broken = copy.deepcopy(compose)
    test = broken["services"]["gateway"]["healthcheck"]["test"]
    port = str(Settings().port_of("gateway"))
    broken["services"]["gateway"]["healthcheck"]["test"] = [part.replace(port, "9999") for part in test]
    with pytest.raises(AssertionError):
        check_compose_service(broken, "gateway")
