/** The subset of a pino logger the REST adapter uses; any pino instance fits. */
export interface RestLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
