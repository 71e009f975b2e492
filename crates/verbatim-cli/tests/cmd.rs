//! The command line's promises as files: `tests/cmd/*.trycmd` (commands with their
//! output and exit status, run in a copy of the case's `.in` folder) and `*.toml` (with
//! standard input). `TRYCMD=overwrite cargo test -p verbatim-cli --test cmd` rewrites the
//! expected output; read the diff before committing it.

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .register_bin(
            "verbatim",
            std::path::Path::new(env!("CARGO_BIN_EXE_verbatim")),
        )
        .env("NO_COLOR", "1")
        .case("../../tests/cmd/*.trycmd")
        .case("../../tests/cmd/*.toml");
}
