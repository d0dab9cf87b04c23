fn main() {
    eprintln!("hirebridge: the CLI arrives with the connectors issue");
    std::process::exit(2);
}
