use caucus_api::cli::Cli;
use clap::Parser;

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
