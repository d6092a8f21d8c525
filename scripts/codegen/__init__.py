"""The client generator: spec/v1.yaml and spec/v1-overrides.yaml in, the generated modules out."""
