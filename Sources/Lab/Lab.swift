/// Scenarios, the runner and its results: the part of FallbackLab users touch.
public enum Lab {}
