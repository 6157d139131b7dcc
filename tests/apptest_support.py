"""Open a page of the app with query parameters in AppTest, as a browser would open the URL."""

from __future__ import annotations

from riskatlas.paths import REPO_ROOT

APP = REPO_ROOT / "app.py"


def run_app(page: str = "pages/map.py", params: dict[str, str] | None = None, timeout: float = 60):
    """Run the app on one page with query parameters (AppTest), as a browser would open a URL."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.run()
    if page != "pages/map.py":
        at.switch_page(page)
    at.query_params.clear()
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()
