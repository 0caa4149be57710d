// The command-line tool is thin: it parses arguments, calls Lab, and sets the exit code.
print("fallback-lab: under construction")
