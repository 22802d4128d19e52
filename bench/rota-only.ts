import { benchRota } from './rota';
benchRota();
