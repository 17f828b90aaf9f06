//! `hisp completions SHELL` and `hisp man`: the shell completion script and
//! the manual page, generated from the same argument definitions as the
//! command itself (clap_complete, clap_mangen), written to standard output.

use clap::CommandFactory;

use super::{Cli, to_stdout};
use crate::Status;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Install, for bash:\n  hisp completions bash > ~/.local/share/bash-completion/completions/hisp\nzsh:  hisp completions zsh > ~/.zfunc/_hisp   (with fpath+=~/.zfunc in ~/.zshrc)\nfish: hisp completions fish > ~/.config/fish/completions/hisp.fish"
)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn completions(args: &CompletionsArgs) -> hisp::Result<Status> {
    let mut command = Cli::command();
    to_stdout(|out| {
        clap_complete::generate(args.shell, &mut command, "hisp", out);
        Ok(())
    })?;
    Ok(Status::Ok)
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Read it with: hisp man | man -l -\nInstall it with: hisp man > ~/.local/share/man/man1/hisp.1"
)]
pub struct ManArgs {}

pub fn man(_args: &ManArgs) -> hisp::Result<Status> {
    let page = clap_mangen::Man::new(Cli::command());
    to_stdout(|out| page.render(out))?;
    Ok(Status::Ok)
}
