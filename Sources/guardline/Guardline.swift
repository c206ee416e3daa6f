import ArgumentParser; import GuardlineServer
@main struct Guardline: AsyncParsableCommand { func run() async throws {} }
