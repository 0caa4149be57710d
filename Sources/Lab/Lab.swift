/// Scenarios, the runner and its results: the part of FallbackLab users touch.
package enum Lab {}
