"""`deploy/k8s/`: the manifests are valid Kubernetes objects and wired to the hub.

- Every document validates against the Kubernetes OpenAPI schemas in strict mode (unknown
  fields refused) with kubernetes-validate, which ships the schemas: no cluster, no network.
- `kubectl kustomize` builds the kustomization offline, when kubectl is installed. (`kubectl
  apply --dry-run=client --validate=false` still asks an API server for its resource list,
  so it cannot run without a cluster; kubectl is not in Debian's archive, so it only skips.)
- The wiring: each process's arguments parse with `hub`'s own parser, probes name declared
  ports, every container asks for CPU and memory, runs as the image's user on a read-only
  root, and reads only variables env.example documents; the Service, PodDisruptionBudget
  and HorizontalPodAutoscaler select the API's pods.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from hub.cli import build_parser
from tests.deploy.test_compose import final_stage
from tests.support.tools import require
from tests.unit.test_deploy_env import listed

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
#: The oldest Kubernetes the manifests promise to work on (autoscaling/v2, policy/v1, and
#: the restricted pod security labels are older); kubernetes-validate ships its schema.
KUBERNETES = "1.30.0"
FILES = sorted(p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def documents(name: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((K8S / name).read_text(encoding="utf-8")) if d]


def every() -> list[dict[str, Any]]:
    return [d for name in FILES for d in documents(name)]


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in every() if d["kind"] == kind}


def containers() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for d in every():
        if d["kind"] in ("Deployment", "Job"):
            pod = d["spec"]["template"]["spec"]
            out.extend((d["metadata"]["name"], c) for c in pod["containers"])
    return out


@pytest.mark.parametrize("name", FILES)
def test_each_manifest_is_valid_against_the_kubernetes_schemas(name: str) -> None:
    for doc in documents(name):
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def test_the_validator_refuses_what_kubernetes_would() -> None:
    deployment = documents("relay.yaml")[0]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["livenessProbe"]["httpGet"]["paht"] = "/healthz"  # an unknown field
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES, strict=True)
    del container["livenessProbe"]["httpGet"]["paht"]
    container["resources"]["requests"]["cpu"] = ["200m"]  # a list where a quantity goes
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES, strict=True)


def test_kubectl_kustomize_builds_it_offline() -> None:
    kubectl = require("kubectl", why_optional="it is not in Debian's archive")
    done = subprocess.run(
        [kubectl, "kustomize", str(K8S)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    built = [d for d in yaml.safe_load_all(done.stdout) if d]
    kinds = sorted(d["kind"] for d in built)
    assert kinds == sorted(
        ["Namespace", "ConfigMap", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"]
        + ["Deployment"] * 4
        + ["NetworkPolicy"]
    )
    for d in built:
        assert d["metadata"].get("namespace", "onematter") == "onematter"
        if d["kind"] == "Deployment":
            image = d["spec"]["template"]["spec"]["containers"][0]["image"]
            assert image == "registry.example.gov.cn/onematter/onematter-hub:0.1.0"


def test_deployments_for_every_process_and_a_migration_job() -> None:
    commands = {
        name: tuple(c["args"][:2] if c["args"][0] == "connector" else c["args"][:1])
        for name, c in containers()
    }
    assert commands == {
        "onematter-api": ("serve",),
        "onematter-relay": ("relay",),
        "onematter-connector": ("connector", "all"),
        "onematter-scheduler": ("scheduler",),
        "onematter-migrate": ("db",),
        "onematter-broker-setup": ("broker",),
    }
    assert of_kind("Job")["onematter-migrate"]["spec"]["template"]["spec"]["containers"][0][
        "args"
    ] == ["db", "upgrade"]


@pytest.mark.parametrize("name", ["api", "relay", "connector", "scheduler", "migrate"])
def test_each_process_runs_arguments_hub_accepts(name: str) -> None:
    (container,) = [c for n, c in containers() if n == f"onematter-{name}"]
    args = build_parser().parse_args(container["args"])  # SystemExit on an unknown option
    assert callable(args.func)


def test_probes_and_resources() -> None:
    for name, container in containers():
        requests = container["resources"]["requests"]
        assert requests["cpu"] and requests["memory"], name
        assert container["resources"]["limits"]["memory"], name
        if name.endswith(("migrate", "broker-setup")):
            continue
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert container[probe]["httpGet"]["port"] in ports, f"{name} {probe}"
        if name == "onematter-api":
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
            assert ports == {"http": int(container["args"][container["args"].index("--port") + 1])}
        else:  # the worker's own /healthz and /readyz, on the port its --metrics-port opens
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
            assert ports == {"metrics": int(container["args"][-1])}
            assert container["args"][-2] == "--metrics-port"
    config = of_kind("ConfigMap")["onematter-config"]["data"]
    assert config["HUB_METRICS_HOST"] == "0.0.0.0"  # the kubelet probes the pod's address


def test_pods_run_as_the_images_user_read_only_without_privileges() -> None:
    users = [rest for word, rest in final_stage() if word == "USER"]
    uid = int(users[-1].split(":")[0])
    for d in every():
        if d["kind"] not in ("Deployment", "Job"):
            continue
        pod = d["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == uid
        assert pod["automountServiceAccountToken"] is False
        # Secret files are root's with the pod's fsGroup: the user reads them through it.
        (keys,) = [v["secret"] for v in pod["volumes"] if v["name"] == "keys"]
        assert pod["securityContext"]["fsGroup"] == uid and keys["defaultMode"] & 0o040
        for c in pod["containers"]:
            ctx = c["securityContext"]
            assert ctx["readOnlyRootFilesystem"] is True
            assert ctx["allowPrivilegeEscalation"] is False
            assert ctx["capabilities"]["drop"] == ["ALL"]
            mounts = {m["mountPath"]: m for m in c["volumeMounts"]}
            assert mounts["/etc/onematter/keys"]["readOnly"] is True
            assert {"/tmp", "/var/lib/onematter"} <= mounts.keys()


def test_configuration_names_only_documented_variables() -> None:
    documented = listed().keys()
    config = of_kind("ConfigMap")["onematter-config"]["data"]
    secret = of_kind("Secret")["onematter-env"]["stringData"]
    assert set(config) | set(secret) <= documented
    assert config["HUB_KEYS_FILE"].startswith("/etc/onematter/keys/")
    keys = of_kind("Secret")["onematter-keys"]["stringData"]
    assert list(keys) == [Path(config["HUB_KEYS_FILE"]).name]
    assert "CHANGE-ME" in secret["HUB_DATABASE_URL"]  # an example, never a real password


def test_the_service_budget_and_autoscaler_select_the_api() -> None:
    api = of_kind("Deployment")["onematter-api"]
    labels = api["spec"]["template"]["metadata"]["labels"]
    assert api["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert "replicas" not in api["spec"]  # the autoscaler owns the count
    service = of_kind("Service")["onematter-api"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    budget = of_kind("PodDisruptionBudget")["onematter-api"]
    assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert budget["spec"]["minAvailable"] == 1
    hpa = of_kind("HorizontalPodAutoscaler")["onematter-api"]
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "onematter-api",
    }
    assert hpa["spec"]["minReplicas"] > budget["spec"]["minAvailable"]
