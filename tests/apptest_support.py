"""Open a page of the app with query parameters in AppTest, as a browser would open the URL."""

from __future__ import annotations

import re

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


def unescape_md(value):
    """A cell as a reader sees it: st.table renders Markdown, so the app escapes data text
    (riskatlas.ui.common.md_text); this undoes exactly that escaping."""
    return re.sub(r"\\(.)", r"\1", value) if isinstance(value, str) else value


def tables(at) -> list:
    """Every st.table of the page as a DataFrame of the text a reader sees."""
    return [t.value.map(unescape_md) for t in at.table]


def deck_spec(chart) -> dict:
    """A deck element's spec as a dict, with the layer data the Map moved to served files
    (riskatlas.deck_static, under static/deck/ next to app.py) read back in place."""
    import json

    from riskatlas.deck_static import load_data

    spec = json.loads(chart.proto.json)
    for layer in spec.get("layers") or []:
        if isinstance(layer, dict) and "data" in layer:
            layer["data"] = load_data(layer, REPO_ROOT / "static" / "deck")
    return spec
