"""deploy/api-server: schema-valid offline, Pod Security "restricted", wired together."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from eidos.server.settings import OPTIONS, ServerSettings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "api-server"
KUBERNETES = "1.30.0"
NAME = {"app.kubernetes.io/name": "eidos-api-server"}


def load(name: str) -> dict:
    doc = yaml.safe_load((DEPLOY / name).read_text())
    assert isinstance(doc, dict)
    return doc


def manifests() -> list[str]:
    return load("kustomization.yaml")["resources"]


def test_kustomization_lists_every_manifest_but_the_optional_service_monitor():
    files = sorted(p.name for p in DEPLOY.glob("*.yaml"))
    assert sorted([*manifests(), "kustomization.yaml", "servicemonitor.yaml"]) == files


@pytest.mark.parametrize("name", manifests())
def test_manifest_is_valid_against_the_kubernetes_schema(name):
    kubernetes_validate.validate(load(name), KUBERNETES, strict=True)


def test_namespace_enforces_pod_security_restricted():
    labels = load("namespace.yaml")["metadata"]["labels"]
    for mode in ("enforce", "audit", "warn"):
        assert labels[f"pod-security.kubernetes.io/{mode}"] == "restricted"


def test_pod_meets_pod_security_restricted():
    pod = load("deployment.yaml")["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    assert not {"hostNetwork", "hostPID", "hostIPC"} & set(pod)
    assert all(
        set(v) <= {"name", "emptyDir", "configMap", "secret", "projected"}
        for v in pod.get("volumes", [])
    )
    for container in pod["containers"]:
        sc = container["securityContext"]
        assert sc["allowPrivilegeEscalation"] is False
        assert sc["readOnlyRootFilesystem"] is True
        assert sc["capabilities"] == {"drop": ["ALL"]}
        assert sc.get("privileged", False) is False
        assert container["resources"]["requests"] and container["resources"]["limits"]


def test_deployment_runs_the_server_with_settings_it_accepts():
    deployment = load("deployment.yaml")
    assert deployment["spec"]["replicas"] == 3
    assert deployment["spec"]["selector"]["matchLabels"] == NAME
    template = deployment["spec"]["template"]
    assert NAME.items() <= template["metadata"]["labels"].items()
    container = template["spec"]["containers"][0]
    assert container["command"] == ["eidos-api-server"]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert set(env) <= {o.env for o in OPTIONS}
    settings = ServerSettings.from_env(env)  # raises on any invalid value
    assert settings.port == container["ports"][0]["containerPort"] == 8080
    assert container["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
    grace = template["spec"]["terminationGracePeriodSeconds"]
    assert grace > settings.shutdown_delay + settings.shutdown_timeout


def test_service_hpa_pdb_and_network_policy_point_at_the_pods():
    service = load("service.yaml")
    assert service["spec"]["selector"] == NAME
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    hpa = load("hpa.yaml")["spec"]
    assert hpa["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "eidos-api-server",
    }
    assert hpa["minReplicas"] == 3 and hpa["maxReplicas"] >= 3
    pdb = load("pdb.yaml")["spec"]
    assert pdb["selector"]["matchLabels"] == NAME and pdb["minAvailable"] < 3
    policy = load("networkpolicy.yaml")["spec"]
    assert policy["podSelector"]["matchLabels"] == NAME
    assert policy["ingress"][0]["ports"] == [{"protocol": "TCP", "port": 8080}]
    assert policy["egress"] == []
    for name in manifests():
        doc = load(name)
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "eidos-api", name


def test_service_monitor_shape():
    monitor = load("servicemonitor.yaml")
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["kind"] == "ServiceMonitor"
    selector = monitor["spec"]["selector"]["matchLabels"].items()
    assert selector <= load("service.yaml")["metadata"]["labels"].items()
    endpoint = monitor["spec"]["endpoints"][0]
    assert endpoint["port"] == load("service.yaml")["spec"]["ports"][0]["name"]
    assert endpoint["path"] == "/metrics"
    assert monitor["spec"]["namespaceSelector"]["matchNames"] == ["eidos-api"]
