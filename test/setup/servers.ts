import type { RunningPostgres, RunningSimulator, RunningTemporal } from '../../composition/local/local-services';

/** What the global set-up started, for the teardown. */
export interface TestServers {
  root: string;
  postgres?: RunningPostgres;
  temporal?: RunningTemporal;
  simulator?: RunningSimulator;
  government?: RunningSimulator;
}
