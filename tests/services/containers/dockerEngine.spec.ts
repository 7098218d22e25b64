import { describe, expect, it } from 'vitest';
import { findDockerEngine, type DockerProbeDeps } from './dockerEngine.js';

function deps(sockets: string[], files: Record<string, string> = {}): DockerProbeDeps {
  return { isSocket: (p) => sockets.includes(p), readText: (p) => files[p], home: '/home/u' };
}

describe('findDockerEngine', () => {
  it('finds nothing on a machine without an engine', () => {
    expect(findDockerEngine({}, deps([]))).toBeUndefined();
  });

  it('prefers DOCKER_HOST, then ~/.testcontainers.properties, then a socket', () => {
    const all = deps(['/var/run/docker.sock'], { '/home/u/.testcontainers.properties': 'ryuk.disabled=true\ndocker.host=tcp://10.0.0.5:2375\n' });
    expect(findDockerEngine({ DOCKER_HOST: 'tcp://docker:2376' }, all)).toBe('tcp://docker:2376');
    expect(findDockerEngine({}, all)).toBe('tcp://10.0.0.5:2375');
    expect(findDockerEngine({}, deps(['/var/run/docker.sock']))).toBe('unix:///var/run/docker.sock');
  });

  it('finds rootless and Docker Desktop sockets', () => {
    expect(findDockerEngine({ XDG_RUNTIME_DIR: '/run/user/1000' }, deps(['/run/user/1000/docker.sock']))).toBe('unix:///run/user/1000/docker.sock');
    expect(findDockerEngine({}, deps(['/home/u/.docker/run/docker.sock']))).toBe('unix:///home/u/.docker/run/docker.sock');
  });
});
