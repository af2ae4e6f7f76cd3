"""The agent's manifests: valid against the Kubernetes schemas, least privilege, in sync."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from eidos import IMAGE_REPOSITORY, __version__
from eidos.agent import AgentOptions, parse_node_selector, parse_toleration, render_manifests
from eidos.agent.manifests import DEFAULT_IMAGE, check_namespace
from eidos.errors import InvalidRequestError

DEPLOY = Path(__file__).parents[2] / "deploy" / "agent"
VARIANTS = {
    "defaults": AgentOptions(),
    "node": AgentOptions(node="ip-10-0-1-7.ec2.internal", runtime_class="nvidia"),
    "selector": AgentOptions(
        namespace="gpu-operator",
        name="eidos-agent-3f9a1c",
        configmap="eidos-agent-3f9a1c-snap",
        node_selector={"nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3"},
        deadline=612.5,
        tolerations=(
            parse_toleration("dedicated=user-workload:NoExecute"),
            parse_toleration("gpu"),
        ),
    ),
}


def _static() -> list[dict]:
    return [
        doc
        for path in sorted(DEPLOY.glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text())
        if doc
    ]


@pytest.mark.parametrize("version", ["1.29", "1.31", "1.33"])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_generated_manifests_validate_against_the_kubernetes_schemas(variant, version):
    for obj in render_manifests(VARIANTS[variant]):
        kubernetes_validate.validate(obj, version, strict=True)


@pytest.mark.parametrize("version", ["1.29", "1.30", "1.31", "1.32", "1.33"])
def test_the_deploy_files_apply_on_every_supported_kubernetes(version):
    # The GPU Operator versions in the recipe data support Kubernetes 1.29 and later;
    # recursiveReadOnly (1.30+) would make `kubectl apply -f deploy/agent/` fail on 1.29.
    for obj in _static():
        kubernetes_validate.validate(obj, version, strict=True)
    assert "recursiveReadOnly" not in yaml.safe_dump(_static())


def test_the_deploy_files_equal_the_generated_defaults_and_the_released_image():
    static = _static()
    image = static[-1]["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image == DEFAULT_IMAGE == f"{IMAGE_REPOSITORY}:v{__version__}"
    assert static == render_manifests(AgentOptions())


def test_recursive_read_only_is_asked_for_only_on_request():
    job = render_manifests(AgentOptions(recursive_read_only=True))[-1]
    mounts = job["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]
    assert [m.get("recursiveReadOnly") for m in mounts] == ["IfPossible"] * 3 + [None]
    kubernetes_validate.validate(job, "1.31", strict=True)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_rbac_is_read_only_except_one_configmap_and_never_secrets(variant):
    objs = {o["kind"]: o for o in render_manifests(VARIANTS[variant])}
    cluster_rules = objs["ClusterRole"]["rules"]
    granted = {(r["apiGroups"][0], r["resources"][0], tuple(r["verbs"])) for r in cluster_rules}
    assert granted == {
        ("", "nodes", ("get",)),
        ("", "pods", ("list",)),
        ("nvidia.com", "clusterpolicies", ("list",)),
    }
    role_rules = objs["Role"]["rules"]
    assert all(r["resources"] == ["configmaps"] for r in role_rules)
    assert {v for r in role_rules for v in r["verbs"]} == {"create", "get", "update"}
    named = [r for r in role_rules if "get" in r["verbs"]]
    assert named[0]["resourceNames"] == [VARIANTS[variant].configmap]
    text = yaml.safe_dump(list(objs.values()))
    assert "secrets" not in text and "'*'" not in text


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_pod_is_unprivileged_and_mounts_the_host_read_only(variant):
    job = render_manifests(VARIANTS[variant])[-1]
    pod = job["spec"]["template"]["spec"]
    assert not {"hostPID", "hostNetwork", "hostIPC"} & set(pod)
    assert pod["securityContext"]["runAsNonRoot"] is True
    (container,) = pod["containers"]
    sc = container["securityContext"]
    assert sc["privileged"] is False and sc["allowPrivilegeEscalation"] is False
    assert sc["capabilities"] == {"drop": ["ALL"]} and sc["readOnlyRootFilesystem"] is True
    mounts = {m["name"]: m for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    host = {n: volumes[n]["hostPath"] for n in volumes if "hostPath" in volumes[n]}
    # Only what the snapshot reads, never / and never the host's /proc (or its processes).
    assert {h["path"]: h["type"] for h in host.values()} == {
        "/etc": "Directory",
        "/usr/lib": "Directory",
        "/run/dbus": "DirectoryOrCreate",  # a node without D-Bus must still run the agent
    }
    for name, spec in host.items():
        assert mounts[name]["readOnly"] is True
        assert mounts[name]["mountPath"] == "/host" + spec["path"]
    assert pod["securityContext"]["runAsUser"] == pod["securityContext"]["runAsGroup"] == 65534
    assert "resources" in container and "limits" in container["resources"]
    args = container["args"]
    assert args[:5] == ["snapshot", "--host-root", "/host", "--proc-root", "/proc"]
    opts = VARIANTS[variant]
    assert args[-1] == f"cm://{opts.namespace}/{opts.configmap}"
    assert not [e for e in container["env"] if e["name"] == "DBUS_SYSTEM_BUS_ADDRESS"]


def test_placement_defaults_to_any_gpu_node_and_narrows_on_request():
    def spec(opts):
        return render_manifests(opts)[-1]["spec"]["template"]["spec"]

    terms = spec(AgentOptions())["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"
    ]["nodeSelectorTerms"]
    assert [t["matchExpressions"][0]["key"] for t in terms] == [
        "nvidia.com/gpu.present",
        "feature.node.kubernetes.io/pci-10de.present",
    ]
    # --node matches the node's name, as DaemonSet pods do (its hostname label may differ)
    pinned = spec(VARIANTS["node"])["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"
    ]["nodeSelectorTerms"]
    assert pinned == [
        {
            "matchFields": [
                {"key": "metadata.name", "operator": "In", "values": ["ip-10-0-1-7.ec2.internal"]}
            ]
        }
    ]
    assert "nodeSelector" not in spec(VARIANTS["node"])
    assert spec(VARIANTS["node"])["runtimeClassName"] == "nvidia"
    assert "affinity" not in spec(VARIANTS["selector"])
    assert render_manifests(VARIANTS["selector"])[-1]["spec"]["activeDeadlineSeconds"] == 613
    assert render_manifests(AgentOptions())[-1]["spec"]["activeDeadlineSeconds"] == 360


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "nvidia.com/gpu:NoSchedule",
            {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"},
        ),
        (
            "dedicated=user-workload:NoExecute",
            {
                "key": "dedicated",
                "operator": "Equal",
                "value": "user-workload",
                "effect": "NoExecute",
            },
        ),
        ("gpu", {"key": "gpu", "operator": "Exists"}),
        ("gpu=", {"key": "gpu", "operator": "Equal", "value": ""}),
    ],
)
def test_toleration_syntax(text, expected):
    assert parse_toleration(text) == expected


@pytest.mark.parametrize("text", ["", ":NoSchedule", "gpu:Never", "a b:NoSchedule", "k=v v"])
def test_bad_tolerations_are_invalid_requests(text):
    with pytest.raises(InvalidRequestError, match="KEY\\[=VALUE\\]\\[:EFFECT\\]"):
        parse_toleration(text)


@pytest.mark.parametrize(
    "text",
    ["k" * 64, "k=" + "v" * 64, "a" * 254 + "/k", "Upper.case/k"],  # over Kubernetes' limits
)
def test_tolerations_and_selectors_the_api_server_would_refuse_are_refused_here(text):
    # the agent once accepted these and the API server refused the Job after the fact
    with pytest.raises(InvalidRequestError, match="invalid --toleration"):
        parse_toleration(text)
    with pytest.raises(InvalidRequestError, match="invalid --node-selector"):
        parse_node_selector([text if "=" in text else text + "=v"])


def test_node_selectors_accept_repeats_and_commas():
    assert parse_node_selector(["a=1,b/c=2", "d="]) == {"a": "1", "b/c": "2", "d": ""}
    for bad in (["novalue"], ["=x"], ["a=b c"]):
        with pytest.raises(InvalidRequestError, match="node label KEY=VALUE"):
            parse_node_selector(bad)


@pytest.mark.parametrize("namespace", ["Eidos", "-x", "a_b", "n" * 64])
def test_bad_namespaces_are_refused(namespace):
    with pytest.raises(InvalidRequestError, match="invalid --namespace"):
        check_namespace(namespace)
