"""The types every stage passes along (documents, source maps, findings) and small shared utilities."""
