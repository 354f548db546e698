"""How values, titles and changes are shown to people: shared by reporters and exports."""
