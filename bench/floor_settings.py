"""The benchmark's floor: the production settings with one more URL, /__floor__/, a bare
Django view that returns the bytes of the page being measured (bench/floor_urls.py)."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
