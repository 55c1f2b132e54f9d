"""Privet JupyterLab extension (prebuilt labextension; the Python side only declares its path)."""

__version__ = "0.1.0"


def _jupyter_labextension_paths():
    """Where JupyterLab finds the prebuilt extension inside this package."""
    return [{"src": "labextension", "dest": "@privet/jupyter-ext"}]
