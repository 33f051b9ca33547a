"""The console (控制台, INTERFACE 13): pages for units, the justice bureau and admins."""
