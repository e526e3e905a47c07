use caucus_api::cli::Cli;
use clap::Parser;

/// mimalloc rather than the system allocator: replaying or rendering a large
/// log allocates and frees millions of small strings, which glibc's malloc
/// spends a sixth of a replay's time on.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    caucus_api::telemetry::init(cli.log_json);
    match caucus_api::commands::run(cli.command).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("caucus: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
