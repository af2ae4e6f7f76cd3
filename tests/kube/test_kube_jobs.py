"""Objects the agent deploys, and waiting for a Job with progress and early failure."""

from __future__ import annotations

import pytest

from eidos.errors import CollectorError, DeadlineExceededError, InvalidRequestError
from eidos.kube import (
    Kube,
    create_object,
    delete_object,
    diagnose_pod,
    observe_jobs,
    pod_log_tail,
    read_object,
    wait_for_job,
)
from kube_emulator import script_job

JOB = {
    "apiVersion": "batch/v1",
    "kind": "Job",
    "metadata": {"name": "agent", "namespace": "ns"},
    "spec": {
        "template": {
            "spec": {
                "restartPolicy": "Never",
                "containers": [
                    {"name": "eidos", "image": "x", "args": ["--output", "cm://ns/snap"]}
                ],
            }
        }
    },
}


@pytest.fixture
def client(emulator_settings):
    with Kube(emulator_settings) as kube:
        yield kube


def _wait(client, **kw):
    lines: list[str] = []
    kw.setdefault("timeout", 5.0)
    wait_for_job(client, "ns", "agent", poll=0.0, on_progress=lines.append, **kw)
    return lines


def test_create_read_delete_round_trip(kube, kube_backend):
    sa = {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": "probe", "namespace": kube_backend.namespace},
    }
    assert create_object(kube, sa)["metadata"]["name"] == "probe"
    assert create_object(kube, sa) is None
    assert read_object(kube, sa)["metadata"]["name"] == "probe"
    assert delete_object(kube, sa) is True
    assert read_object(kube, sa) is None
    assert delete_object(kube, sa) is False


def test_unknown_kinds_and_nameless_manifests_are_refused(client):
    with pytest.raises(InvalidRequestError, match="does not manage Deployment"):
        create_object(
            client,
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "x", "namespace": "y"},
            },
        )
    with pytest.raises(InvalidRequestError, match="lacks metadata"):
        create_object(client, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {}})


def test_wait_reports_each_new_state_until_success(kube_emulator, client):
    script_job(kube_emulator, ["creating", "running", "succeeded"])
    create_object(client, JOB)
    lines = _wait(client)
    assert lines == [
        "pod agent-x7k2p Pending: ContainerCreating",
        "pod agent-x7k2p Running on node gpu-node-1",
        "Job agent completed",
    ]


def test_an_unschedulable_pod_fails_the_wait_at_once(kube_emulator, client):
    script_job(kube_emulator, ["unschedulable"])
    create_object(client, JOB)
    with pytest.raises(CollectorError, match=r"cannot succeed: Unschedulable: 0/3 nodes") as info:
        _wait(client, timeout=60.0)
    assert info.value.details["reason"] == "unschedulable"
    assert kube_emulator.count("GET", "/apis/batch/v1/namespaces/ns/jobs/agent") == 1


def test_a_ready_result_ends_the_wait_before_the_job_completes(kube_emulator, client):
    script_job(kube_emulator, ["running"])
    create_object(client, JOB)
    lines = _wait(client, ready=lambda: True)
    assert lines == ["pod agent-x7k2p Running on node gpu-node-1"]


def test_failed_job_is_a_collector_error_and_its_log_is_readable(kube_emulator, client):
    script_job(kube_emulator, ["running", "failed"], log="line 1\nError: boom\n")
    create_object(client, JOB)
    with pytest.raises(CollectorError, match=r"BackoffLimitExceeded.*Error \(exit code 4\)"):
        _wait(client)
    assert pod_log_tail(client, "ns", "agent") == "line 1\nError: boom\n"


def test_image_pull_back_off_fails_at_once(kube_emulator, client):
    script_job(kube_emulator, ["imagepull"])
    create_object(client, JOB)
    with pytest.raises(CollectorError, match="ImagePullBackOff") as info:
        _wait(client, timeout=60.0)
    assert info.value.details["reason"] == "image"
    assert kube_emulator.count("GET", "/apis/batch/v1/namespaces/ns/jobs/agent") == 1


def test_timeout_says_how_to_look(kube_emulator, client):
    script_job(kube_emulator, ["creating"])
    create_object(client, JOB)
    with pytest.raises(
        DeadlineExceededError, match=r"within 0.05s .*, or look with: .*describe job/agent"
    ):
        wait_for_job(client, "ns", "agent", timeout=0.05, poll=0.01)


def test_timeout_of_a_job_that_will_be_deleted_suggests_keep(kube_emulator, client):
    script_job(kube_emulator, ["creating"])
    create_object(client, JOB)
    with pytest.raises(DeadlineExceededError, match=r"rerun with --keep and look with: kubectl"):
        wait_for_job(client, "ns", "agent", timeout=0.05, poll=0.01, kept=False)


def test_an_admission_refusal_explains_a_missing_pod_at_once(kube_emulator, client):
    create_object(client, JOB)
    kube_emulator.put(
        "v1",
        "events",
        {
            "metadata": {"name": "agent.1", "namespace": "ns"},
            "type": "Warning",
            "reason": "FailedCreate",
            "involvedObject": {"kind": "Job", "name": "agent"},
            "message": 'pods "agent-x" is forbidden: violates PodSecurity "baseline:latest"',
        },
    )
    with pytest.raises(CollectorError, match=r"FailedCreate: pods .* is forbidden") as info:
        wait_for_job(client, "ns", "agent", timeout=60.0, poll=0.01)
    assert info.value.details["reason"] == "admission"


def test_log_tail_is_empty_without_a_pod(client):
    assert pod_log_tail(client, "ns", "nothing") == ""


def _scheduled(reason):
    return {"type": "PodScheduled", "status": "False", "reason": reason, "message": "0/1 nodes"}


def _waiting(reason, message=""):
    return {
        "phase": "Pending",
        "containerStatuses": [{"state": {"waiting": {"reason": reason, "message": message}}}],
    }


def _pod(status, volumes=()):
    return {
        "metadata": {"name": "p"},
        "spec": {"volumes": [{"name": v, "hostPath": {"path": "/" + v}} for v in volumes]},
        "status": status,
    }


def _event(reason, message, type_="Warning"):
    return {"type": type_, "reason": reason, "message": message}


WAITING = {"phase": "Pending", "containerStatuses": [{"state": {"waiting": {"reason": "X"}}}]}


@pytest.mark.parametrize(
    ("pod", "events", "kind"),
    [
        (_pod(WAITING), [], None),
        (
            _pod({"phase": "Pending", "conditions": [_scheduled("Unschedulable")]}),
            [],
            "unschedulable",
        ),
        (
            _pod({"phase": "Pending", "conditions": [_scheduled("Unschedulable")]}),
            [_event("TriggeredScaleUp", "pod triggered scale-up", "Normal")],
            None,
        ),
        (
            _pod({"phase": "Pending", "conditions": [_scheduled("SchedulerError")]}),
            [],
            None,
        ),
        (
            _pod(WAITING, ["host-etc"]),
            [_event("FailedMount", 'MountVolume.SetUp failed for volume "host-etc" : x')],
            "mount",
        ),
        (
            _pod(WAITING, ["host-etc"]),
            [
                _event(
                    "FailedMount",
                    'MountVolume.SetUp failed for volume "kube-api-access-7x" : object '
                    '"eidos"/"kube-root-ca.crt" not registered',
                )
            ],
            None,
        ),
        (_pod(_waiting("ErrImagePull")), [], "image"),
        (_pod(_waiting("CreateContainerConfigError")), [], "container"),
        (_pod(_waiting("ContainerCreating")), [], None),
    ],
    ids=[
        "waiting",
        "unschedulable",
        "scale-up",
        "scheduler-error",
        "host-mount",
        "token-mount-transient",
        "image",
        "config",
        "creating",
    ],
)
def test_diagnosis_tells_trouble_from_waiting(pod, events, kind):
    _, trouble = diagnose_pod(pod, events)
    assert (trouble.kind if trouble else None) == kind


def test_an_image_trouble_names_the_cause_from_the_pull_event():
    pod = _pod(_waiting("ImagePullBackOff", 'Back-off pulling image "r/e:1"'))
    events = [
        _event("Failed", 'Failed to pull image "r/e:1": r/e:1: not found'),
        _event("BackOff", 'Back-off pulling image "r/e:1"', "Normal"),
    ]
    _, trouble = diagnose_pod(pod, events)
    assert trouble.message == 'ImagePullBackOff: Failed to pull image "r/e:1": r/e:1: not found'


def _listed_job(name: str, **status: object) -> dict:
    return {
        "metadata": {"name": name, "namespace": "ns", "labels": {"run": "r1"}},
        "status": status,
    }


def _listed_pod(job: str, phase: str, **status: object) -> dict:
    return {
        "metadata": {
            "name": f"{job}-p",
            "namespace": "ns",
            "labels": {"run": "r1", "job-name": job},
        },
        "status": {"phase": phase, **status},
    }


def test_observe_jobs_looks_at_many_jobs_with_three_lists(kube_emulator, client):
    waiting = {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off"}}
    for job in (
        _listed_job("done", succeeded=1, conditions=[{"type": "Complete", "status": "True"}]),
        _listed_job("running"),
        _listed_job("stuck"),
        _listed_job("podless"),
        _listed_job("unplaced"),
        {**_listed_job("other"), "metadata": {"name": "other", "namespace": "ns"}},
    ):
        kube_emulator.put("batch/v1", "jobs", job)
    kube_emulator.put("v1", "pods", _listed_pod("running", "Running"))
    stuck = _listed_pod("stuck", "Pending", containerStatuses=[{"state": waiting}])
    kube_emulator.put("v1", "pods", stuck)
    unplaced = _listed_pod(
        "unplaced",
        "Pending",
        conditions=[{"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}],
    )
    kube_emulator.put("v1", "pods", unplaced)
    for i, (kind, name, type_, reason, message) in enumerate(
        [
            ("Pod", "stuck-p", "Warning", "Failed", 'Failed to pull image "x": not found'),
            ("Pod", "running-p", "Normal", "Pulled", "pulled"),
            ("Job", "podless", "Warning", "FailedCreate", "pods is forbidden: PodSecurity"),
            ("Pod", "unplaced-p", "Normal", "TriggeredScaleUp", "pod triggered scale-up"),
        ]
    ):
        event = {
            "metadata": {"name": f"e{i}", "namespace": "ns"},
            "involvedObject": {"kind": kind, "name": name},
            "type": type_,
            "reason": reason,
            "message": message,
        }
        kube_emulator.put("v1", "events", event)
    states = observe_jobs(client, "ns", "run=r1")
    assert sorted(states) == ["done", "podless", "running", "stuck", "unplaced"]  # by label
    assert states["done"].done and not states["running"].done
    assert states["running"].line == "pod running-p Running" and states["running"].trouble is None
    trouble = states["stuck"].trouble
    assert trouble is not None and trouble.kind == "image" and "not found" in trouble.message
    assert states["podless"].trouble is not None and states["podless"].trouble.kind == "admission"
    assert states["unplaced"].trouble is None  # a node is being added for it
    assert states["unplaced"].line.endswith("(a node is being added)")
    gets = [(p, q.get("fieldSelector")) for m, p, q in kube_emulator.requests if m == "GET"]
    assert gets == [
        ("/apis/batch/v1/namespaces/ns/jobs", None),
        ("/api/v1/namespaces/ns/pods", None),
        ("/api/v1/namespaces/ns/events", "type=Warning"),
        ("/api/v1/namespaces/ns/events", "involvedObject.kind=Pod,involvedObject.name=unplaced-p"),
    ]
