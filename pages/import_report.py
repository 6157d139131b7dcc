"""Import: a brand's smelter disclosure on the map for this session; saving it is explicit."""

from riskatlas.ui import import_view
from riskatlas.ui.common import page_guard

with page_guard():
    import_view.render()
