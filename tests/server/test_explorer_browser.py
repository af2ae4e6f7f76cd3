"""The recipe explorer in a real Chromium, against the real server on 127.0.0.1.

Expected values come from the recipe engine itself (the same data the server loads), never
from constants copied into the test.
"""

from __future__ import annotations

import copy
import io
import json
import shlex
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from browser_support import Browser, needs_chromium
from server_support import ThreadServer, start_thread_server

from eidos.model import Query, Snapshot
from eidos.recipe import RecipeBuilder, RecipeStore, infer_query
from eidos.serializer import dumps, loads
from eidos.server.app import create_app
from eidos.server.settings import ServerSettings
from eidos.server.source import EngineSource

pytestmark = [needs_chromium(), pytest.mark.slow, pytest.mark.timeout(180)]

FIXTURES = Path(__file__).parents[1] / "fixtures"
H100 = FIXTURES / "reference" / "snapshots" / "h100.yaml"
XSS = '<img src=x onerror="window.__pwned=1">'
ENGINE = RecipeBuilder(RecipeStore.load(), cache_size=0)


def recipe(**criteria: str) -> dict:
    return ENGINE.build(Query.build(**criteria)).to_dict()


def driver_version(doc: dict) -> str:
    (k8s,) = [m for m in doc["measurements"] if m["type"] == "K8s"]
    (image,) = [s for s in k8s["subtypes"] if s["subtype"] == "image"]
    return str(image["data"]["driver"])


def _offers(method: str, path: str) -> bool:
    app = create_app(ServerSettings(), EngineSource.load())
    return any(
        getattr(r, "path", None) == path and method in (getattr(r, "methods", None) or ())
        for r in app.routes
    )


needs_bundle = pytest.mark.skipif(
    not _offers("POST", "/v1/bundle"), reason="needs POST /v1/bundle (issue 12)"
)
needs_validate = pytest.mark.skipif(
    not _offers("POST", "/v1/validate"), reason="needs POST /v1/validate (issue 13)"
)


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadServer]:
    server = start_thread_server(EngineSource.load())
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    b = Browser()
    yield b
    b.close()


@pytest.fixture
def page(browser: Browser, server: ThreadServer) -> Iterator[Browser]:
    """The module's browser, its console drained, with the server's base URL."""
    browser.errors()
    browser.base = f"http://127.0.0.1:{server.port}"  # type: ignore[attr-defined]
    yield browser
    assert browser.errors() == [], "the page logged errors (script errors or CSP violations)"


def url(b: Browser, **params: str) -> str:
    return f"{b.base}/?{urlencode(params)}"  # type: ignore[attr-defined]


def component_rows(b: Browser) -> list[list[str]]:
    return b.js(
        "return [...document.querySelectorAll('#components tbody tr')]"
        ".map(tr => [...tr.cells].map(c => c.textContent))"
    )


def rendered(b: Browser, before: str) -> None:
    b.wait(lambda d: d.execute_script("return document.body.dataset.rendered") != before)
    b.settled()


def test_a_deep_link_renders_components_in_order_and_the_driver(page):
    criteria = {"os": "ubuntu", "service": "eks", "gpu": "h100", "intent": "training"}
    expected = recipe(**criteria)
    page.open(url(page, **criteria))
    refs = {c["name"]: c for c in expected["componentRefs"]}
    rows = component_rows(page)
    assert [r[1] for r in rows] == expected["deploymentOrder"]
    for _number, name, _chart, version, namespace, _after in rows:
        assert version == refs[name]["chart"]["version"]
        assert namespace == refs[name]["namespace"]
    assert page.text("summary-driver") == driver_version(expected)
    for field, value in criteria.items():
        assert page.js(f"return document.getElementById('a-{field}').value") == value
    constraints = page.js(
        "return [...document.querySelectorAll('#constraints tbody tr td:first-child')]"
        ".map(td => td.textContent)"
    )
    assert constraints == [c["check"] for c in expected["constraints"]]
    overlays = page.js("return [...document.querySelectorAll('#overlays li')].map(li => li.title)")
    assert overlays == expected["matchedRules"]


def test_the_measurements_show_their_explanations(page):
    page.open(url(page, service="eks", gpu="h100"))
    with_context = ENGINE.build(Query.build(service="eks", gpu="h100", with_context=True))
    doc = with_context.to_dict()
    (k8s,) = [m for m in doc["measurements"] if m["type"] == "K8s"]
    (image,) = [s for s in k8s["subtypes"] if s["subtype"] == "image"]
    rows = page.js(
        "const d = [...document.querySelectorAll('#measurements details')]"
        ".find(x => x.querySelector('summary').textContent.startsWith('K8s · image'));"
        "return [...d.querySelectorAll('tbody tr')]"
        ".map(tr => [...tr.cells].map(c => c.textContent))"
    )
    shown = [[k, v if isinstance(v, str) else json.dumps(v)] for k, v in image["data"].items()]
    assert rows == [[k, v, image["context"][k]] for k, v in shown]


def test_integers_past_2_to_the_53_keep_their_digits(page):
    doc = recipe(service="eks", gpu="h100")
    big = [
        (m["type"], s["subtype"], k, v)
        for m in doc["measurements"]
        for s in m["subtypes"]
        for k, v in s["data"].items()
        if isinstance(v, int) and not isinstance(v, bool) and v > 2**53
    ]
    assert big  # systemd's "infinity"; else this test proves nothing
    page.open(url(page, service="eks", gpu="h100"))
    for mtype, subtype, key, value in big:
        shown = page.js(
            "const d = [...document.querySelectorAll('#measurements details')]"
            ".find(x => x.querySelector('summary').textContent.startsWith(arguments[0]));"
            "const tr = [...d.querySelectorAll('tbody tr')].find(r => r.cells[0].textContent"
            " === arguments[1]); return tr.cells[1].textContent",
            f"{mtype} · {subtype} (",
            key,
        )
        assert shown == str(value)


def test_changing_a_criterion_changes_the_recipe_and_the_url_and_back_forward_work(page):
    from selenium.webdriver.support.ui import Select

    page.open(url(page, service="eks", gpu="h100", intent="training"))
    h100, gb200 = (recipe(service="eks", gpu=g, intent="training") for g in ("h100", "gb200"))
    assert h100["constraints"] != gb200["constraints"]  # else this test proves nothing
    before = page.js("return document.body.dataset.rendered")
    Select(page.driver.find_element("id", "a-gpu")).select_by_value("gb200")
    rendered(page, before)
    assert parse_qs(urlsplit(page.driver.current_url).query) == {
        "service": ["eks"],
        "gpu": ["gb200"],
        "intent": ["training"],
    }

    def checks() -> list[str]:
        return page.js(
            "return [...document.querySelectorAll('#constraints tbody tr td:first-child')]"
            ".map(td => td.textContent)"
        )

    assert checks() == [c["check"] for c in gb200["constraints"]]
    page.driver.back()
    page.wait(lambda d: "gpu=h100" in d.current_url)
    page.wait(lambda d: checks() == [c["check"] for c in h100["constraints"]], "back: not h100")
    assert page.js("return document.getElementById('a-gpu').value") == "h100"
    page.driver.forward()
    page.wait(lambda d: checks() == [c["check"] for c in gb200["constraints"]], "fwd: not gb200")
    assert page.js("return document.getElementById('a-gpu').value") == "gb200"


def test_the_page_is_usable_with_the_keyboard_alone(page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    page.open(url(page, service="gke", gpu="h100"))
    before = page.js("return document.body.dataset.rendered")
    for _ in range(30):  # tab from the top of the page to the accelerator picker
        if page.js("return document.activeElement.id") == "a-gpu":
            break
        ActionChains(page.driver).send_keys(Keys.TAB).perform()
    assert page.js("return document.activeElement.id") == "a-gpu"
    ActionChains(page.driver).send_keys(Keys.ARROW_DOWN).perform()  # h100 -> h200
    rendered(page, before)
    assert "gpu=h200" in page.driver.current_url
    assert page.text("summary-criteria") == "service=gke, gpu=h200"


def test_every_control_has_a_label(page):
    page.open(url(page, gpu="h100") + "&vs.gpu=gb200")
    unlabelled = page.js(
        "return [...document.querySelectorAll('input, select, textarea, button')]"
        ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
        " && !(e.tagName === 'BUTTON' && e.textContent.trim()))"
        ".map(e => e.id || e.outerHTML)"
    )
    assert unlabelled == []


def test_the_compare_view_lists_what_differs(page):
    page.open(
        url(page, service="eks", gpu="h100", intent="training") + "&vs.service=eks"
        "&vs.gpu=gb200&vs.intent=training"
    )
    a, b = (recipe(service="eks", gpu=g, intent="training") for g in ("h100", "gb200"))
    assert page.js("return document.getElementById('compare').hidden") is False
    rows = page.js(
        "return [...document.querySelectorAll('#compare-table tbody tr')]"
        ".map(tr => [...tr.cells].map(c => c.textContent))"
    )
    model = {c["check"].split(" ")[0]: c for c in a["constraints"]}["GPU.smi.gpu.model"]
    model_b = {c["check"].split(" ")[0]: c for c in b["constraints"]}["GPU.smi.gpu.model"]
    row = ["Constraint", "GPU.smi.gpu.model"]
    expected = [
        *row,
        f"{model['check'].split(' ', 1)[1]} ({model['severity']})",
        f"{model_b['check'].split(' ', 1)[1]} ({model_b['severity']})",
    ]
    assert expected in rows
    assert page.text("compare-summary").startswith(f"{len(rows)} differences")
    facts = page.js(
        "return Object.fromEntries([...document.querySelectorAll('#compare-facts tbody tr')]"
        ".map(tr => [tr.cells[0].textContent, [tr.cells[1].textContent, tr.cells[2].textContent]]))"
    )
    assert facts["NVIDIA driver"] == [driver_version(a), driver_version(b)]
    assert facts["Criteria"] == [
        "service=eks, gpu=h100, intent=training",
        "service=eks, gpu=gb200, intent=training",
    ]
    assert facts["Constraints"] == [str(len(a["constraints"])), str(len(b["constraints"]))]
    # the same criteria on both sides: nothing differs
    page.open(url(page, gpu="h100") + "&vs.gpu=h100")
    assert page.text("compare-summary") == "The two recipes are the same."


def test_the_cli_command_on_the_page_builds_the_same_recipe(page, tmp_path):
    page.open(url(page, os="ubuntu", service="eks", gpu="h100", intent="training", nodes="8"))
    command = page.text("cmd-recipe")
    argv = shlex.split(command)
    assert argv[:2] == ["eidos", "recipe"]
    out = tmp_path / "recipe.yaml"
    argv[argv.index("-o") + 1] = str(out)
    subprocess.run([sys.executable, "-m", "eidos", *argv[1:], "-t", "json"], check=True)
    doc = json.loads(out.read_text())
    assert [r[1] for r in component_rows(page)] == doc["deploymentOrder"]
    assert page.text("summary-driver") == driver_version(doc)
    assert page.text("cmd-bundle").startswith("eidos bundle -f recipe.yaml")


def test_an_invalid_deep_link_says_why(page):
    page.open(url(page, gpu="t4"))
    assert "invalid gpu type 't4'" in page.text("status")
    assert page.js("return document.getElementById('recipe').hidden") is True
    (refused,) = page.errors()  # the browser logs the 400 itself; nothing else went wrong
    assert refused["source"] == "network" and "/v1/recipe?gpu=t4" in refused["message"]


def test_narrow_screens_do_not_scroll_sideways(page):
    page.driver.set_window_size(375, 800)
    try:
        page.open(url(page, service="eks", gpu="h100", intent="training") + "&vs.gpu=gb200")
        page.js("document.querySelectorAll('details').forEach(d => d.open = true)")
        width = page.js("return document.documentElement.clientWidth")
        assert width <= 375
        assert page.js("return document.documentElement.scrollWidth") <= width
    finally:
        page.driver.set_window_size(1280, 1000)


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory) -> Iterator[ThreadServer]:
    """Site data whose values and explanations are HTML that would run if not escaped."""
    data = tmp_path_factory.mktemp("hostile") / "site.yaml"
    site = {
        "overlays": [
            {
                "key": {"service": "kind", "gpu": "l40s"},
                "types": [
                    {
                        "type": "K8s",
                        "subtypes": [
                            {
                                "subtype": "image",
                                "data": {"driver": XSS},
                                "context": {"driver": XSS},
                            }
                        ],
                    }
                ],
                "componentRefs": [
                    {"name": "gpu-operator", "values": {"operator": {"priorityClassName": XSS}}}
                ],
            }
        ]
    }
    data.write_text(dumps(site, "yaml"))
    server = start_thread_server(EngineSource.load(str(data)))
    yield server
    server.stop()


def test_values_from_the_recipe_are_shown_as_text_never_run(browser, hostile_server):
    browser.errors()
    base = f"http://127.0.0.1:{hostile_server.port}"
    browser.open(f"{base}/?service=kind&gpu=l40s")
    browser.js("document.querySelectorAll('details').forEach(d => d.open = true)")
    time.sleep(0.3)  # an injected onerror would fire on the next task
    assert browser.js("return window.__pwned === undefined")
    assert browser.js("return document.querySelectorAll('img').length") == 0
    assert browser.text("summary-driver") == XSS
    cells = browser.js("return [...document.querySelectorAll('td')].map(td => td.textContent)")
    assert cells.count(XSS) >= 3  # the measurement, its explanation and the component value
    assert browser.errors() == []


@needs_bundle
def test_download_a_bundle(page):
    from selenium.webdriver.support.ui import Select

    page.open(url(page, os="ubuntu", service="eks", gpu="h100", intent="training"))
    page.wait(lambda d: d.execute_script("return !document.getElementById('bundle-form').hidden"))
    deployer = page.driver.find_elements("id", "bundle-deployer")
    if deployer:
        Select(deployer[0]).select_by_value("helm")
    page.driver.find_element("id", "bundle-go").click()
    page.wait(lambda d: page.text("bundle-status").startswith("Downloaded"), timeout=60)
    downloads = Path(page.downloads)
    page.wait(lambda d: [p for p in downloads.iterdir() if p.suffix == ".zip"])
    (archive,) = [p for p in downloads.iterdir() if p.suffix == ".zip"]
    with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as z:
        names = z.namelist()
        assert any(n == "deploy.sh" or n.endswith("/deploy.sh") for n in names), names
    archive.unlink()


def _validate(page: Browser, snapshot_text: str) -> str:
    page.wait(lambda d: d.execute_script("return !document.getElementById('validate-form').hidden"))
    page.js("document.getElementById('snapshot-text').value = arguments[0]", snapshot_text)
    page.driver.find_element("id", "validate-go").click()
    page.wait(lambda d: page.text("validate-status").startswith("Validation"), timeout=60)
    return page.text("verdict")


def _h100_url(page: Browser) -> str:
    criteria = infer_query(Snapshot.from_dict(loads(H100.read_text()))).query.to_dict()
    return url(page, **{k: str(v) for k, v in criteria.items()})


@needs_validate
def test_validate_the_reference_h100_snapshot_and_a_tampered_one(page):
    page.open(_h100_url(page))
    assert _validate(page, H100.read_text()).startswith("PASS")
    tampered = loads(H100.read_text())
    for m in tampered["measurements"]:
        if m["type"] == "GPU":
            m["subtypes"][0]["data"]["gpu.model"] = "NVIDIA A100-SXM4-80GB"
    assert _validate(page, json.dumps(tampered)).startswith("FAIL")
    statuses = page.js(
        "return [...document.querySelectorAll('#report tbody tr')]"
        ".filter(tr => tr.cells[1].textContent === 'fail').map(tr => tr.cells[3].textContent)"
    )
    assert "NVIDIA A100-SXM4-80GB" in statuses


@needs_validate
def test_snapshot_values_in_a_report_are_shown_as_text(page):
    page.open(_h100_url(page))
    hostile = copy.deepcopy(loads(H100.read_text()))
    hostile["metadata"]["source-node"] = XSS
    for m in hostile["measurements"]:
        if m["type"] == "GPU":
            m["subtypes"][0]["data"]["gpu.model"] = XSS
    assert _validate(page, dumps(hostile, "yaml")).startswith("FAIL")
    time.sleep(0.3)
    assert page.js("return window.__pwned === undefined")
    assert page.js("return document.querySelectorAll('img').length") == 0
    assert XSS in page.text("report")
