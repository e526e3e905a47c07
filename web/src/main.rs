//! `caucus-web`: the office's screens, a client of the Caucus api.

use clap::Parser;

#[derive(Debug, Parser)]
#[command(name = "caucus-web", about = "The Caucus web client: the office's screens, on the api")]
struct Cli {
    #[command(flatten)]
    settings: caucus_web::config::WebSettings,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    let cli = Cli::parse();
    let app = caucus_web::startup::WebApp::build(&cli.settings)?;
    println!("Caucus web client: http://{}/", app.address());
    app.run_until_stopped().await
}
