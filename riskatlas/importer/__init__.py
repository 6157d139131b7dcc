"""Import a brand's own smelter disclosure (SEC HTML, PDF report, RMI template, CSV) as links."""

from riskatlas.importer.links import link_rejects, links_frame, source_row
from riskatlas.importer.model import OUT_COLUMNS, ImportResult, ReportError
from riskatlas.importer.report import import_bytes, import_report, summary_text

__all__ = [
    "OUT_COLUMNS",
    "ImportResult",
    "ReportError",
    "import_bytes",
    "import_report",
    "link_rejects",
    "links_frame",
    "source_row",
    "summary_text",
]
