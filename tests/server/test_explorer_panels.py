"""The bundle panel's side of ``POST /v1/bundle``, in Chromium, against a stand-in route.

The real route comes with issue 12 (test_explorer_browser.py downloads a real bundle once it
is there). Until then this pins the page's half of the contract the issue specifies — the
recipe as the JSON body, the options as query parameters (read from /openapi.json, so
whatever parameters the route documents become fields), a zip back that the browser saves —
with a stand-in that records what it was sent and answers a small zip.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import Browser, needs_chromium
from server_support import ThreadServer, start_thread_server
from starlette.requests import Request  # noqa: TID251 - a stand-in server route
from starlette.responses import Response  # noqa: TID251
from starlette.routing import Route  # noqa: TID251

from eidos import __version__
from eidos.model import Query
from eidos.recipe import RecipeBuilder, RecipeStore
from eidos.server.openapi import build_openapi
from eidos.server.source import EngineSource

pytestmark = [needs_chromium(), pytest.mark.slow, pytest.mark.timeout(180)]

BUNDLE = {
    "post": {
        "operationId": "postBundle",
        "parameters": [
            {
                "name": "deployer",
                "in": "query",
                "description": "How the bundle deploys",
                "schema": {"type": "string", "enum": ["helm", "argocd"], "default": "helm"},
            },
            {"name": "registry", "in": "query", "schema": {"type": "string"}},
            {
                "name": "set",
                "in": "query",
                "schema": {"type": "array", "items": {"type": "string"}},
            },
        ],
        "responses": {"200": {"description": "the bundle"}},
    }
}


class StandIn:
    """POST /v1/bundle as issue 12 specifies it, recording each request."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def install(self, app: Any) -> None:
        doc = build_openapi(__version__)
        doc["paths"]["/v1/bundle"] = BUNDLE
        body = json.dumps(doc).encode()

        async def openapi(request: Request) -> Response:
            return Response(body, media_type="application/json")

        app.router.routes.insert(0, Route("/openapi.json", openapi, methods=["GET"]))
        app.router.routes.insert(0, Route("/v1/bundle", self.bundle, methods=["POST"]))

    async def bundle(self, request: Request) -> Response:
        self.requests.append(
            {
                "query": request.query_params.multi_items(),
                "type": request.headers["content-type"],
                "recipe": json.loads(await request.body()),
            }
        )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("deploy.sh", "#!/bin/sh\n")
        headers = {"Content-Disposition": 'attachment; filename="bundle-h100.zip"'}
        return Response(out.getvalue(), media_type="application/zip", headers=headers)


@pytest.fixture(scope="module")
def stand_in() -> Iterator[tuple[StandIn, ThreadServer]]:
    route = StandIn()
    server = start_thread_server(EngineSource.load(), customize=route.install)
    yield route, server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    b = Browser()
    yield b
    b.close()


def test_the_bundle_panel_sends_the_recipe_and_options_and_saves_the_zip(browser, stand_in):
    from selenium.webdriver.support.ui import Select

    route, server = stand_in
    browser.errors()
    browser.open(f"http://127.0.0.1:{server.port}/?service=eks&gpu=h100&intent=training")
    browser.wait(
        lambda d: d.execute_script("return !document.getElementById('bundle-form').hidden")
    )
    assert browser.text("bundle-deployer-hint") == "How the bundle deploys"
    Select(browser.driver.find_element("id", "bundle-deployer")).select_by_value("argocd")
    browser.driver.find_element("id", "bundle-registry").send_keys("registry.local:5000/mirror")
    sets = "gpu-operator:driver.enabled=false\ncert-manager:crds.enabled=true"
    browser.driver.find_element("id", "bundle-set").send_keys(sets)
    assert browser.text("cmd-bundle") == (
        "eidos bundle -f recipe.yaml -o bundle --deployer argocd "
        "--registry registry.local:5000/mirror --set gpu-operator:driver.enabled=false "
        "--set cert-manager:crds.enabled=true"
    )
    browser.driver.find_element("id", "bundle-go").click()
    browser.wait(lambda d: browser.text("bundle-status").startswith("Downloaded"))
    assert browser.text("bundle-status").startswith("Downloaded bundle-h100.zip")
    saved = Path(browser.downloads) / "bundle-h100.zip"
    browser.wait(lambda d: saved.exists() and zipfile.is_zipfile(saved))
    assert zipfile.ZipFile(saved).namelist() == ["deploy.sh"]
    (sent,) = route.requests
    assert sent["query"] == [
        ("deployer", "argocd"),
        ("registry", "registry.local:5000/mirror"),
        ("set", "gpu-operator:driver.enabled=false"),
        ("set", "cert-manager:crds.enabled=true"),
    ]
    assert sent["type"] == "application/json"
    expected = RecipeBuilder(RecipeStore.load(), cache_size=0).build(
        Query.build(service="eks", gpu="h100", intent="training")
    )
    for doc in (sent["recipe"], expected_doc := expected.to_dict()):
        doc["metadata"].pop("recipe-timestamp")
    assert sent["recipe"] == expected_doc
    assert browser.errors() == []


def test_the_default_deployer_is_left_to_the_server(browser, stand_in):
    route, server = stand_in
    route.requests.clear()
    browser.open(f"http://127.0.0.1:{server.port}/?gpu=h100")
    browser.wait(
        lambda d: d.execute_script("return !document.getElementById('bundle-form').hidden")
    )
    assert browser.text("cmd-bundle") == "eidos bundle -f recipe.yaml -o bundle"
    browser.driver.find_element("id", "bundle-go").click()
    browser.wait(lambda d: browser.text("bundle-status").startswith("Downloaded"))
    assert route.requests[0]["query"] == []
