fn main() -> std::process::ExitCode {
    hisp::cli::main()
}
