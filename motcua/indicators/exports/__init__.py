"""Reports of the indicator board: Excel (``xlsx``) and PDF (``pdf``)."""
