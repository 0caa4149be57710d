import CFuzzDriver

fuzz_main(CommandLine.argc, CommandLine.unsafeArgv, fuzzRTMPT)
