"""Importers for public career data: the O*NET text database and salary files."""
