"""The generic component renderer: one recipe component -> its folder in the bundle.

Driven by the component reference alone (chart, namespace, values, paths, manifests);
a profile (:mod:`.profiles`) adds what only measurements can say. For every component:

1. values: the recipe's, then the profile's derived values merged over them;
2. the scheduling flags, written at the component's declared paths;
3. the user's ``--set`` values (they win over everything above);
4. ``--registry``: every image moved to the mirror, in the values;
5. images listed from the final values (and from the manifests it applies);
6. ``NN-name/values.yaml`` and ``NN-name/manifests/*.yaml`` staged in the tree.
"""

from __future__ import annotations

from eidos.bundlers.common import BundleMeta, manifest_metadata
from eidos.bundlers.config import BundleConfig
from eidos.bundlers.images import component_images, manifest_images
from eidos.bundlers.overrides import Overrides, set_value
from eidos.bundlers.plan import Manifest, RenderedComponent
from eidos.bundlers.profiles import PROFILES, ResourceDoc
from eidos.bundlers.tree import FileTree
from eidos.bundlers.yamlfile import render_yaml
from eidos.errors import BundlerValidationError
from eidos.model import Chart, ComponentRef, Recipe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["copy_values", "merge_values", "render_component"]


def copy_values(value: Any) -> Any:
    """A deep copy of plain values data (dicts, lists, scalars)."""
    if isinstance(value, dict):
        return {k: copy_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_values(v) for v in value]
    return value


def merge_values(into: dict[str, Any], overlay: dict[str, Any]) -> None:
    """Helm's merge, in place: mappings merge key by key, anything else replaces."""
    for key, value in overlay.items():
        mine = into.get(key)
        if isinstance(value, dict) and isinstance(mine, dict):
            merge_values(mine, value)
        else:
            into[key] = copy_values(value)


def _schedule(values: dict[str, Any], paths: dict[str, Any], ov: Overrides) -> None:
    for kind, selector in (
        ("systemNodeSelector", ov.system_node_selector),
        ("acceleratedNodeSelector", ov.accelerated_node_selector),
    ):
        for path in paths.get(kind, ()) if selector else ():
            set_value(values, tuple(path.split(".")), dict(selector))
    for kind, tolerations in (
        ("systemTolerations", ov.system_tolerations),
        ("acceleratedTolerations", ov.accelerated_tolerations),
    ):
        for path in paths.get(kind, ()) if tolerations else ():
            set_value(values, tuple(path.split(".")), [dict(t) for t in tolerations])
    taint = next((t for t in ov.accelerated_tolerations if "value" in t and "effect" in t), None)
    for path in paths.get("acceleratedTaint", ()) if taint else ():
        text = f"{taint['key']}={taint['value']}:{taint['effect']}"  # type: ignore[index]
        set_value(values, tuple(path.split(".")), text)


def _chart(ref: ComponentRef, config: BundleConfig) -> Chart | None:
    if ref.chart is None:
        return None
    return Chart(
        config.chart_repositories.get(ref.name, ref.chart.repository),
        ref.chart.name,
        config.chart_versions.get(ref.name, ref.chart.version),
    )


def _object_docs(ref: ComponentRef, config: BundleConfig) -> list[ResourceDoc]:
    """The registry's manifests, with the user's labels and annotations."""
    out = []
    for raw in ref.manifests:
        doc = copy_values(raw)
        name = str(doc.get("metadata", {}).get("name", ref.name))
        extra = manifest_metadata(name, config)
        metadata = doc.setdefault("metadata", {})
        for key in ("labels", "annotations"):
            if key in extra:
                metadata[key] = {**metadata.get(key, {}), **extra[key]}
        filename = f"{str(doc.get('kind', 'object')).lower()}-{name}.yaml"
        out.append(ResourceDoc(filename, doc, [f"{doc.get('kind')} {name}"], apply=True))
    return out


def _check_values(name: str, values: Any) -> None:
    if not isinstance(values, dict):
        raise BundlerValidationError(f"{name}: values must be a mapping")


def render_component(
    ref: ComponentRef,
    *,
    position: int,
    recipe: Recipe,
    config: BundleConfig,
    meta: BundleMeta,
    tree: FileTree,
) -> RenderedComponent:
    """Render ``ref`` into ``tree`` (its own: paths relative to ``NN-name/``) and describe it.

    Raises:
        BundlerValidationError: the recipe, a value or an image is unusable (the message
            names the component and what to fix).
    """
    name = ref.name
    directory = f"{position:02d}-{name}"
    ov = config.overrides
    values = copy_values(ref.values)
    comments: dict[str, list[str]] = {}
    profile = PROFILES.get(name)
    derived = profile(recipe, config) if profile is not None else None
    if derived is not None:
        merge_values(values, derived.values)
        comments = derived.comments
    _schedule(values, ref.paths, ov)
    for setting in ov.for_component(name):
        set_value(values, setting.keys, setting.value)
    _check_values(name, values)
    entries = ref.paths.get("images", [])
    if ov.registry:
        from eidos.bundlers.images import rewrite_images

        rewrite_images(values, entries, ov.registry)
    images = component_images(name, values, entries) if ref.type == "helm" else []
    chart = _chart(ref, config)
    namespace = config.namespace or ref.namespace
    values_file = None
    if chart is not None:
        values_file = f"{directory}/values.yaml"
        header = [
            *meta.header(f"Helm values for {name}"),
            f"Chart: {chart.repository} {chart.name} {chart.version}, namespace {namespace}",
        ]
        tree.add("values.yaml", render_yaml(values, header=header, comments=comments))
    docs = derived.resources(values, config) if derived is not None else []
    docs += _object_docs(ref, config)
    manifests = []
    for doc in docs:
        if doc.apply:
            images += [i for i in manifest_images(doc.doc, ov.registry) if i not in images]
        path = f"manifests/{doc.filename}"
        header = meta.header(doc.header[0]) + doc.header[1:]
        tree.add(path, render_yaml(doc.doc, header=header, blank_lines=False))
        path = f"{directory}/{path}"
        metadata = doc.doc.get("metadata", {})
        manifests.append(
            Manifest(
                path, kind=str(doc.doc.get("kind")), name=str(metadata.get("name")), apply=doc.apply
            )
        )
    return RenderedComponent(
        name,
        directory=directory,
        namespace=namespace,
        chart=chart,
        values_file=values_file,
        manifests=manifests,
        dependencies=list(ref.dependency_refs),
        crds=list(ref.crds),
        webhooks=list(ref.webhooks),
        images=images,
        notes=derived.notes(values) if derived is not None else "",
        warnings=derived.warnings(meta) if derived is not None else [],
        gpu_node_labels=derived.gpu_node_labels() if derived is not None else [],
    )
