"""Debian chromium as every headless browser here launches it: the report's PDF, tests, bench."""

PATH = "/usr/bin/chromium"  # apt-get install chromium; never `playwright install`
# Headless, and nothing fetched from outside: no updates, sync or background requests.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
