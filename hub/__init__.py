"""OneMatter hub: intake, numbering, routing, lifecycle and hand-offs of dispute applications."""
