import Hummingbird; import HummingbirdTLS; import HummingbirdBcrypt; import Mustache; import OpenAPIHummingbird; import Prometheus; import ServiceLifecycle; import GuardlineAPI
