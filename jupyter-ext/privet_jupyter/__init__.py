"""Privet JupyterLab extension: the prebuilt labextension, and ``load_view`` for notebook cells.

The cell "Use in notebook" inserts calls ``load_view`` (views.py), which imports pandas only
when it runs, so importing this package stays cheap (JupyterLab imports it to find the
labextension).
"""

from .views import load_view

__all__ = ["__version__", "load_view"]

__version__ = "0.1.0"


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where JupyterLab finds the prebuilt extension inside this package."""
    return [{"src": "labextension", "dest": "@privet/jupyter-ext"}]
