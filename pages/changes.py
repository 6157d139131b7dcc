"""What changed: a brand's documented sites added, dropped and kept between two years."""

from riskatlas.ui import changes_view
from riskatlas.ui.common import page_guard

with page_guard():
    changes_view.page()
