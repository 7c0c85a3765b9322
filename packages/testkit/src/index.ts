export {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  checkChromium,
  checkRedis,
  type ServiceCheck,
} from './environment.js';
