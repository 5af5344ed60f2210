"""/docs and /redoc work without internet: their assets come from the service itself."""

import re

import pytest
from fastapi.testclient import TestClient

from service.app import STATIC, create_app
from service.settings import Settings


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_api_docs_name_no_external_host_and_their_assets_answer(settings: Settings, page: str):
    with TestClient(create_app(settings)) as client:
        html = client.get(page).text
        assert re.findall(r"https?://", html) == [], "no CDN, no web font"
        assets = re.findall(r"""(?:src|href|url)\s*[:=]\s*['"](/[^'"]+)['"]""", html)
        assert "/openapi.json" in assets
        assert any(a.endswith(".js") for a in assets)
        for asset in assets:
            response = client.get(asset)
            assert response.status_code == 200, asset
            assert response.content


def test_every_vendored_package_ships_its_licence_and_version():
    vendor = STATIC / "vendor"
    versions = (vendor / "VERSIONS.json").read_text("utf-8")
    for package in ("swagger-ui-dist", "redoc"):
        assert (vendor / package / "LICENSE").exists()
        assert f'"{package}"' in versions
