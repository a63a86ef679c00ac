"""Which renderer answers: JSON, unless the URL asks for DRF's browsable page."""

from rest_framework.negotiation import DefaultContentNegotiation


class JSONUnlessAsked(DefaultContentNegotiation):
    """JSON for every request, whatever its Accept header, unless `?format=api` asks for
    the browsable page. The answer then depends on the URL alone, so the public page cache
    (keyed by the full path, core/cache_stamps.py) can never hand a JSON client the HTML
    page a browser asked for, or the reverse."""

    def select_renderer(self, request, renderers, format_suffix=None):
        format_query = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if format_suffix or format_query:
            return super().select_renderer(request, renderers, format_suffix)
        renderer = renderers[0]
        return renderer, renderer.media_type
