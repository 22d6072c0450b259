/* A process run inside a running container: joins its namespaces and cgroups, same security. */
#ifndef BERTH_EXEC_H
#define BERTH_EXEC_H

/* Runs the exec plan inside the container whose init is pid; returns the exit code to exit with. */
int exec_run(pid_t pid, const char *plan_path);

#endif
