/** The few parts of autocannon's API the bench uses (the package ships no types). */
declare module "autocannon" {
  interface Histogram { average: number; p50: number; p99: number }
  interface Result { requests: Histogram; latency: Histogram; non2xx: number; errors: number; timeouts: number }
  interface Request {
    method?: "GET" | "POST" | "PUT" | "DELETE";
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    onResponse?: (status: number, body: string) => void;
  }
  interface Options { url: string; connections?: number; duration?: number; requests?: Request[] }
  export default function autocannon(options: Options): Promise<Result>;
}
