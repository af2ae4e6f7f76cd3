"""GET /v1/criteria: the values the server accepts (one table) and what the data knows."""

from __future__ import annotations

from eidos.model.query import ALIASES, ENUM_FIELDS, FIELDS, MAX_NODES, VERSION_FIELDS, Query
from eidos.recipe.catalog import known_criteria
from eidos.serializer import dumps
from eidos.server.params import FLAGS
from eidos.server.source import EngineSource


async def test_criteria_lists_every_accepted_value_and_the_known_ones(client, engine):
    r = await client.get("/v1/criteria")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    doc = r.json()
    entries = {e["name"]: e for e in doc["criteria"]}
    assert [e["name"] for e in doc["criteria"]] == list(FIELDS)
    known = known_criteria(engine.builder.store)
    for field, (values, human) in ENUM_FIELDS.items():
        assert entries[field]["kind"] == "enum"
        assert entries[field]["values"] == list(values)
        assert entries[field]["description"] == human
    for field in VERSION_FIELDS:
        assert entries[field]["kind"] == "version"
        Query.build(**{field: entries[field]["example"]})  # the example parses
    assert entries["nodes"] | {"known": []} == {
        "name": "nodes",
        "kind": "count",
        "description": "number of nodes",
        "minimum": 1,
        "maximum": MAX_NODES,
        "aliases": [],
        "known": [],
    }
    for field in FIELDS:
        assert entries[field]["known"] == known[field]
        assert entries[field]["aliases"] == [a for a, f in ALIASES.items() if f == field]
    assert entries["gpu"]["aliases"] == ["accelerator"]
    assert [f["name"] for f in doc["flags"]] == list(FLAGS)


async def test_every_listed_value_is_accepted_by_the_recipe_route(client):
    doc = (await client.get("/v1/criteria")).json()
    for entry in doc["criteria"]:
        for value in entry.get("values", []) + entry["known"]:
            if entry["kind"] == "count" and not value.isdigit():
                continue  # an overlay's range, not a query value
            r = await client.get("/v1/recipe", params={entry["name"]: value})
            assert r.status_code == 200, (entry["name"], value, r.text)


async def test_criteria_is_cached_with_an_etag(client):
    r = await client.get("/v1/criteria")
    assert r.headers["cache-control"] == "public, max-age=600"
    again = await client.get("/v1/criteria", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


async def test_site_data_adds_the_versions_it_names(make_client, tmp_path):
    site = tmp_path / "site.yaml"
    site.write_text(
        dumps({"overlays": [{"key": {"os": "ubuntu", "osv": "24.04"}, "types": []}]}, "yaml")
    )
    async with make_client(source=EngineSource.load(str(site))) as c:
        entries = {e["name"]: e for e in (await c.get("/v1/criteria")).json()["criteria"]}
    assert "24.04" in entries["osv"]["known"]


class _Plain:
    """A recipe source that cannot say what its data knows."""

    async def build(self, query):  # pragma: no cover - never called here
        raise AssertionError


async def test_a_source_without_data_lists_the_accepted_values_only(make_client):
    async with make_client(source=_Plain()) as c:
        doc = (await c.get("/v1/criteria")).json()
    assert all(e["known"] == [] for e in doc["criteria"])
    assert {e["name"]: e.get("values") for e in doc["criteria"]}["gpu"] == list(
        ENUM_FIELDS["gpu"][0]
    )
